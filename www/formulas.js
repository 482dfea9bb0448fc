// The one formula that matters for each lab, as MathML built with
// document.createElementNS (browsers render MathML Core natively: no library). A lab
// without an entry simply shows none; the rest of the page is generic.

const NS = 'http://www.w3.org/1998/Math/MathML';

function el(tag, ...kids) {
  const node = document.createElementNS(NS, tag);
  for (const kid of kids) node.append(typeof kid === 'string' ? document.createTextNode(kid) : kid);
  return node;
}
const row = (...kids) => el('mrow', ...kids);
const mi = (x) => el('mi', x);
const mo = (x) => el('mo', x);
const mn = (x) => el('mn', x);
const sub = (base, s) => el('msub', typeof base === 'string' ? mi(base) : base, typeof s === 'string' ? mi(s) : s);
const sup = (base, s) => el('msup', base, typeof s === 'string' ? mn(s) : s);
const frac = (a, b) => el('mfrac', a, b);
const paren = (...kids) => row(mo('('), ...kids, mo(')'));
const mtext = (x) => el('mtext', x);
const tPlus1 = () => row(mi('t'), mo('+'), mn('1'));
const lStar = () => el('msup', mi('L'), mo('*'));

/** Σ_{t≥0} body */
function sumOver(body) {
  return row(el('munder', mo('∑'), row(mi('t'), mo('≥'), mn('0'))), body);
}

const FORMULAS = {
  epochs: {
    label: 'The fraction of the samples seen after k epochs of sampling with replacement',
    build: () => row(
      mn('1'), mo('−'),
      sup(paren(mn('1'), mo('−'), frac(mn('1'), mi('n'))), row(mi('n'), mi('k'))),
      mo('→'), mn('1'), mo('−'), sup(mi('e'), row(mo('−'), mi('k'))),
    ),
  },
  'per-sample': {
    label: 'SGD step on one sample, and that sample’s own minimiser',
    build: () => row(
      sub('w', tPlus1()), mo('='), sub('w', 't'), mo('−'), mi('η'), sub('x', 'i'),
      paren(sub('x', 'i'), sub('w', 't'), mo('−'), sub('y', 'i')),
    ),
    then: () => row(el('msubsup', mi('w'), mi('i'), mo('*')), mo('='), frac(sub('y', 'i'), sub('x', 'i'))),
  },
  'step-size': {
    label: 'SGD step with the gradient of one random sample',
    build: () => row(
      sub('w', tPlus1()), mo('='), sub('w', 't'), mo('−'), mi('η'),
      row(mo('∇'), sub(mi('ℓ'), sub('i', 't'))), paren(sub('w', 't')),
    ),
  },
  'noise-assumptions': {
    label: 'The lecture’s assumptions on the stochastic gradient: unbiased, and its second moment bounded',
    build: () => row(
      mi('𝔼'), row(mo('['), row(mo('∇'), sub(mi('ℓ'), mi('i'))), paren(mi('w')), mo(']')),
      mo('='), mo('∇'), mi('L'), paren(mi('w')),
    ),
    then: () => row(
      mi('𝔼'), sup(row(mo('‖'), mo('∇'), sub(mi('ℓ'), mi('i')), paren(mi('w')), mo('‖')), mn('2')),
      mo('≤'), mi('M'), mo('+'), sub('M', 'G'), sup(row(mo('‖'), mo('∇'), mi('L'), paren(mi('w')), mo('‖')), mn('2')),
    ),
  },
  'descent-lemma': {
    label: 'The descent lemma: the expected change of the loss after one SGD step',
    build: () => {
      const gradNorm = () => sup(row(mo('‖'), mo('∇'), mi('L'), paren(sub('w', 't')), mo('‖')), mn('2'));
      return row(
        mi('𝔼'), row(mo('['), mi('L'), paren(sub('w', tPlus1())), mo(']')), mo('−'), mi('L'), paren(sub('w', 't')),
        mo('≤'), mo('−'), mi('η'),
        paren(mn('1'), mo('−'), frac(row(sub('L', 's'), mi('η'), sub('M', 'G')), mn('2'))), gradNorm(),
        mo('+'), frac(row(sub('L', 's'), sup(mi('η'), mn('2')), mi('M')), mn('2')),
      );
    },
  },
  decay: {
    label: 'The Robbins–Monro conditions on the step sizes',
    build: () => row(
      sumOver(sub('η', 't')), mo('='), mi('∞'),
    ),
    then: () => row(sumOver(el('msubsup', mi('η'), mi('t'), mn('2'))), mo('<'), mi('∞')),
  },
  'expected-loss': {
    label: 'The lecture’s bound on the expected loss gap',
    build: () => row(
      mi('𝔼'), row(mo('['), mi('L'), paren(sub('w', 't')), mo(']')), mo('−'), lStar(),
      mo('≤'),
      frac(row(mi('η'), sub('L', 's'), mi('M')), row(mn('2'), mi('m'))),
      mo('+'),
      sup(paren(mn('1'), mo('−'), mi('η'), mi('m')), mi('t')),
      paren(mi('L'), paren(sub('w', '0')), mo('−'), lStar()),
    ),
  },
  'mini-batch': {
    label: 'The lecture’s bound with a batch of b: the floor divides by b, the rate does not (unless η grows with b)',
    build: () => row(
      mi('𝔼'), row(mo('['), mi('L'), paren(sub('w', 't')), mo(']')), mo('−'), lStar(),
      mo('≤'),
      frac(row(mi('η'), sub('L', 's'), mi('M')), row(mn('2'), mi('m'), mi('b'))),
      mo('+'),
      sup(paren(mn('1'), mo('−'), mi('η'), mi('m')), mi('t')),
      paren(mi('L'), paren(sub('w', '0')), mo('−'), lStar()),
    ),
  },
  'gd-vs-sgd': {
    label: 'Work to reach ε: GD pays n evaluations a step for about κ ln(1/ε) steps, SGD b a step for about 1/ε steps; they are equal near ε ≈ 1/n',
    build: () => row(
      sub('W', mtext('GD')), mo('≈'), mi('n'), mi('κ'), mi('ln'), paren(frac(mn('1'), mi('ε'))),
    ),
    then: () => row(
      sub('W', mtext('SGD')), mo('≈'), frac(mi('b'), mi('ε')),
    ),
  },
  averaging: {
    label: 'The Polyak–Ruppert average of the iterates, and the exponential moving average',
    build: () => row(
      sub('u', 't'), mo('='), frac(mn('1'), tPlus1()),
      row(el('munderover', mo('∑'), row(mi('s'), mo('='), mn('0')), mi('t')), sub('w', 's')),
    ),
    then: () => row(
      sub('u', 't'), mo('='), mi('β'), sub('u', row(mi('t'), mo('−'), mn('1'))), mo('+'),
      paren(mn('1'), mo('−'), mi('β')), sub('w', 't'),
    ),
  },
  momentum: {
    label: 'PyTorch’s momentum: a running sum of gradients, then the step',
    build: () => row(
      sub('v', tPlus1()), mo('='), mi('β'), sub('v', 't'), mo('+'), row(mo('∇'), mi('ℓ')), paren(sub('w', 't')),
    ),
    then: () => row(
      sub('w', tPlus1()), mo('='), sub('w', 't'), mo('−'), mi('η'), sub('v', tPlus1()),
      mo(','), mtext(' effective step '), frac(mi('η'), row(mn('1'), mo('−'), mi('β'))),
    ),
  },
  'variance-reduction': {
    label: 'SVRG’s step: the sample’s gradient corrected by a snapshot w̃, whose full gradient is known',
    build: () => {
      const grad = (w) => row(mo('∇'), sub(mi('ℓ'), sub('i', 't')), paren(w));
      const snap = () => el('mover', mi('w'), mo('~'));
      return row(
        sub('w', tPlus1()), mo('='), sub('w', 't'), mo('−'), mi('η'),
        row(mo('('), grad(sub('w', 't')), mo('−'), grad(snap()), mo('+'), mo('∇'), mi('L'), paren(snap()), mo(')')),
      );
    },
  },
};

/** The lab's formula as `<math>` elements (one per statement, so that a narrow
 *  screen can put them on two lines), or an empty list. */
export function formula(labId) {
  const f = Object.hasOwn(FORMULAS, labId) ? FORMULAS[labId] : null;
  if (!f) return [];
  return [f.build, f.then].filter(Boolean).map((build) => {
    const math = el('math', build());
    math.setAttribute('display', 'block'); // limits under Σ, full-size fractions
    return math;
  });
}

/** The formula's description in words (shown beside it). */
export function formulaLabel(labId) {
  return Object.hasOwn(FORMULAS, labId) ? FORMULAS[labId].label : null;
}
