// The chance model: how likely a random work is to line up k hits at one
// time offset. Hits of a work that is not in the query spread over every
// possible offset (query frames + work frames), so the count in one offset
// window is Poisson with mean λ = hits of that work × window / offsets.

const LN10: f64 = 2.302585092994046;

/** ln(k!) (exact sum below 32, Stirling's series above). */
export function ln_factorial(k: f64): f64 {
  if (k < 32.0) {
    let s = 0.0;
    for (let i = 2.0; i <= k; i += 1.0) s += Math.log(i);
    return s;
  }
  return k * Math.log(k) - k + 0.5 * Math.log(2.0 * Math.PI * k) + 1.0 / (12.0 * k) - 1.0 / (360.0 * k * k * k);
}

/**
 * −log10 of P(X ≥ k) for X ~ Poisson(λ), by the first term of the tail and a
 * geometric bound on the rest (tight when k is well above λ); 0 when k ≤ λ.
 */
export function poisson_tail_significance(k: f64, lambda: f64): f64 {
  if (k <= lambda) return 0.0;
  if (lambda <= 0.0) return 300.0;
  const lnTerm = k * Math.log(lambda) - lambda - ln_factorial(k);
  const lnTail = lnTerm - Math.log(1.0 - lambda / (k + 1.0));
  const s = -lnTail / LN10;
  return s > 0.0 ? s : 0.0;
}

/**
 * −log10 of an upper bound on P(X ≥ k) for X ~ Binomial(n, q): the union
 * bound C(n, k)·q^k. Used for blocks of query time that hold aligned hits.
 */
export function binomial_tail_significance(k: f64, n: f64, q: f64): f64 {
  if (k <= n * q) return 0.0;
  if (q <= 0.0) return 300.0;
  const lnChoose = ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k);
  const s = -(lnChoose + k * Math.log(q)) / LN10;
  return s > 0.0 ? s : 0.0;
}

export function significance_to_confidence(significance: f64): f64 {
  // confidence = 1 − p, where p = 10^−significance is the corrected chance probability.
  return 1.0 - Math.pow(10.0, -significance);
}

export { LN10 };
