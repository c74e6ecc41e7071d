// OTI + binary cross-recurrence (mutual kNN) + Qmax (Serra et al. 2009)
export function globalProfile(blk) {
  const g = new Float64Array(12); const { B, n } = blk;
  for (let i = 0; i < n; i++) for (let p = 0; p < 12; p++) g[p] += B[i * 12 + p];
  let m = 0; for (let p = 0; p < 12; p++) m = Math.max(m, g[p]); if (m > 0) for (let p = 0; p < 12; p++) g[p] /= m;
  return g;
}
// shifts s ranked by dot(gq[p], gr[(p - s) mod 12]) : query pitch class p corresponds to ref pc p-s, i.e. query = ref transposed up s
export function otiRank(gq, gr) {
  const sc = [];
  for (let s = 0; s < 12; s++) { let d = 0; for (let p = 0; p < 12; p++) d += gq[p] * gr[(p - s + 12) % 12]; sc.push([s, d]); }
  return sc.sort((a, b) => b[1] - a[1]).map(x => x[0]);
}
// similarity q block i vs ref block j transposed by s
function simMatrix(q, r, s) {
  const S = new Float32Array(q.n * r.n);
  for (let i = 0; i < q.n; i++) for (let j = 0; j < r.n; j++) {
    let d = 0; for (let p = 0; p < 12; p++) d += q.B[i * 12 + p] * r.B[j * 12 + ((p - s + 12) % 12)];
    S[i * r.n + j] = d;
  }
  return S;
}
function kth(arr, k) { const a = Float32Array.from(arr).sort(); return a[a.length - Math.min(k, a.length)]; }
export function crp(q, r, s, kappa, minSim = 0.05) {
  const S = simMatrix(q, r, s), nq = q.n, nr = r.n;
  const kr = Math.max(1, Math.round(kappa * nr)), kq = Math.max(1, Math.round(kappa * nq));
  const rowT = new Float32Array(nq), colT = new Float32Array(nr);
  for (let i = 0; i < nq; i++) rowT[i] = kth(S.subarray(i * nr, (i + 1) * nr), kr);
  for (let j = 0; j < nr; j++) { const c = new Float32Array(nq); for (let i = 0; i < nq; i++) c[i] = S[i * nr + j]; colT[j] = kth(c, kq); }
  const R = new Uint8Array(nq * nr);
  for (let i = 0; i < nq; i++) for (let j = 0; j < nr; j++) { const v = S[i * nr + j]; if (v > minSim && v >= rowT[i] && v >= colT[j]) R[i * nr + j] = 1; }
  return R;
}
export function qmax(R, nq, nr, go = 0.5, ge = 0.5) {
  const Q = new Float32Array(nq * nr); let best = 0;
  const g = (i, j) => (R[i * nr + j] ? go : ge);
  for (let i = 0; i < nq; i++) for (let j = 0; j < nr; j++) {
    const a = i >= 1 && j >= 1 ? Q[(i - 1) * nr + j - 1] : 0;
    const b = i >= 2 && j >= 1 ? Q[(i - 2) * nr + j - 1] : 0;
    const c = i >= 1 && j >= 2 ? Q[(i - 1) * nr + j - 2] : 0;
    let v;
    if (R[i * nr + j]) v = Math.max(a, b, c) + 1;
    else v = Math.max(0,
      i >= 1 && j >= 1 ? a - g(i - 1, j - 1) : 0,
      i >= 2 && j >= 1 ? b - g(i - 2, j - 1) : 0,
      i >= 1 && j >= 2 ? c - g(i - 1, j - 2) : 0);
    Q[i * nr + j] = v; if (v > best) best = v;
  }
  return best;
}
export function score(q, r, gq, gr, P) {
  const ranks = otiRank(gq, gr); let best = -1, bestS = ranks[0];
  for (let t = 0; t < P.nShift; t++) {
    const s = ranks[t]; const v = qmax(crp(q, r, s, P.kappa), q.n, r.n, P.go, P.ge);
    if (v > best) { best = v; bestS = s; }
  }
  return { q: best, s: bestS, oti: ranks[0] };
}
