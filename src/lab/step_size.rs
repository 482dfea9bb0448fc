//! Placeholder while the lab is being written (see lab/mod.rs for the API it fills in).

use super::knob::Knob;
use super::{Caption, ChartInfo, Status};
use crate::chart::{ChartFrame, PixelRect};
use crate::error::SpecError;
use crate::scenario::{Scenario, Setup};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

pub const DEFAULT_LR2: f64 = 1.0;

pub fn knobs() -> Vec<Knob> {
    vec![super::common::lr(0.001, 2.0), super::common::seed()]
}

pub struct StepSize {
    setup: Setup,
}

impl StepSize {
    pub fn new(setup: &Setup) -> Result<StepSize, SpecError> {
        Ok(StepSize {
            setup: setup.clone(),
        })
    }
    pub fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }
    pub fn charts(&self) -> &'static [ChartInfo] {
        &[]
    }
    pub fn advance(&mut self, _steps: u32) -> u32 {
        0
    }
    pub fn work(&mut self, _budget: u32) -> f64 {
        1.0
    }
    pub fn reset(&mut self) {}
    pub fn status(&self) -> Status {
        Status::default()
    }
    pub fn caption(&self) -> Caption {
        Caption::default()
    }
    pub fn describe(&self) -> String {
        String::new()
    }
    pub fn csv(&self) -> String {
        String::new()
    }
    pub fn draw<DB: DrawingBackend>(
        &self,
        _chart: &str,
        _area: &DrawingArea<DB, Shift>,
        _text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        Err("not built yet".into())
    }
    pub fn heatmap(
        &self,
        _chart: &str,
        _w: u32,
        _h: u32,
        _text_px: Option<f64>,
    ) -> Option<(PixelRect, Vec<u8>)> {
        None
    }
    pub fn click(&self, _chart: &str, _x: f64, _y: f64) -> Option<Scenario> {
        None
    }
    pub fn drag(&self, _chart: &str, _from: (f64, f64), _to: (f64, f64)) -> Option<Scenario> {
        None
    }
}
