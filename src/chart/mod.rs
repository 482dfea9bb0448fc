//! Charts, drawn with plotters on any backend: a `<canvas>` in the browser, SVG on
//! the command line.
