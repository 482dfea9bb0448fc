// The lab catalogue (shared/LABS.md): ids, titles, the lecture part each one
// illustrates and a one-line teaser taken from "what the picture must show".
// `ready` is not set here: the Rust core is the one source of truth. Once the core
// has loaded, main.js calls applyCatalogue(core.lab_catalogue()), which copies the
// core's `ready` flags; until then (and for labs the core does not know, such as the
// sandbox) a lab is not ready and shows a "coming soon" badge.

export const LABS = [
  {
    id: 'per-sample',
    title: 'Every sample has its own minimiser',
    part: 'SGD for least squares (11:49)',
    teaser: 'Each sample’s own parabola, the zone of confusion between their minimisers, and an SGD iterate that bounces inside it forever while GD slides to w*.',
    ready: false,
  },
  {
    id: 'step-size',
    title: 'Step size: fast or precise',
    part: 'An illustration of SGD (23:09)',
    teaser: 'SGD paths on a contour map at a small and a large step: slow but tight, or a fast arrival and then a wide cloud whose spread grows with the step.',
    ready: false,
  },
  {
    id: 'decay',
    title: 'Learning-rate schedules',
    part: 'Strongly convex rate (45:19) and rate (52:15)',
    teaser: 'Constant, too-fast, too-slow, 1/t and step decay side by side, with the running sums of ηₜ and ηₜ² against the Robbins–Monro conditions.',
    ready: false,
  },
  {
    id: 'expected-loss',
    title: 'The expected loss and its bound',
    part: 'Convergence of SGD (25:55)',
    teaser: 'Many runs, their mean loss gap and the lecture’s bound: a constant floor (the zone of confusion) plus a geometric, GD-like term.',
    ready: false,
  },
  {
    id: 'descent-lemma',
    title: 'The descent lemma, sample by sample',
    part: 'Descent lemma (42:56)',
    teaser: 'The change of the loss for every possible sample at the current point: far from w* almost all of them help, near w* many hurt.',
    ready: false,
  },
  {
    id: 'noise-assumptions',
    title: 'What we assume about the noise',
    part: 'Assumptions on the stochastic gradient (32:52)',
    teaser: 'Per-sample gradient arrows whose mean is the full gradient; at w* the mean is zero but the arrows are not. Skewed sampling makes the estimate biased.',
    ready: false,
  },
  {
    id: 'mini-batch',
    title: 'Mini-batches',
    part: 'Convergence rate of mini-batch SGD (54:48)',
    teaser: 'Several batch sizes against samples processed: with linear step scaling the curves collapse onto one, and the noise floor falls like 1/b.',
    ready: false,
  },
  {
    id: 'gd-vs-sgd',
    title: 'When SGD beats GD',
    part: 'When should we use SGD instead of GD (01:08)',
    teaser: 'Loss gap against gradient evaluations for GD and SGD on the same data, and the accuracy ε ≈ 1/n where the two cross.',
    ready: false,
  },
  {
    id: 'epochs',
    title: 'Epochs and sampling',
    part: 'What are epochs? (08:51)',
    teaser: 'With replacement, reshuffled each epoch, or cyclic: the fraction of samples seen after k epochs (1 − e⁻ᵏ) and the loss curves of all three.',
    ready: false,
  },
  {
    id: 'averaging',
    title: 'Iterate averaging',
    part: 'Polyak–Ruppert averaging (01:21)',
    teaser: 'The last iterate bounces in the zone while its running average, an exponential moving average and a late-started average sit close to w*.',
    ready: false,
  },
  {
    id: 'momentum',
    title: 'Momentum',
    part: 'Momentum methods don’t accelerate SGD (01:25)',
    teaser: 'Nesterov accelerates GD on an ill-conditioned quadratic, but SGD with momentum gains nothing once the noise dominates — unless the gradients are alike.',
    ready: false,
  },
  {
    id: 'variance-reduction',
    title: 'Variance reduction',
    part: 'Momentum methods don’t accelerate SGD (end)',
    teaser: 'SVRG, SAG and SAGA reach w* linearly at a constant step while SGD stalls at its floor, with the full-gradient passes paid for.',
    ready: false,
  },
  {
    id: 'sandbox',
    title: 'Sandbox',
    part: 'The whole lecture',
    teaser: 'Any problem, any method, any schedule and averaging, several methods side by side.',
    ready: false,
  },
];

export function findLab(id) {
  return LABS.find((lab) => lab.id === id) ?? null;
}

/** Copies the `ready` flags of the core's catalogue (`[{ id, title, ready }]`) onto
 *  LABS; a lab the core does not list is not ready. */
export function applyCatalogue(catalogue) {
  const ready = new Set(catalogue.filter((entry) => entry.ready).map((entry) => entry.id));
  for (const lab of LABS) lab.ready = ready.has(lab.id);
}
