// The SHA-2 constants, each written once (FIPS 180-4 §4.2.2, §4.2.3, §5.3). SHA-256's round
// constants are the high halves of SHA-512's first 64 (both are the fractional parts of the cube
// roots of the first primes), SHA-256's IV is the high halves of SHA-512's, SHA-224's the low
// halves of SHA-384's; sha2-tables.test.ts checks every table against FIPS 180-4's values.
// Written as hex text (8 digits a word): shorter in the bundle than number literals.

/** 32-bit words from hex text, 8 digits each. */
function words(hex: string): Int32Array {
  const out = new Int32Array(hex.length >> 3);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substring(i * 8, i * 8 + 8), 16) | 0;
  return out;
}

/** Round constants, hi/lo pairs (the first 64 bits of the fractional parts of the cube roots of
 * the first 80 primes). */
export const K512 = /* @__PURE__ */ words(
  '428a2f98d728ae227137449123ef65cdb5c0fbcfec4d3b2fe9b5dba58189dbbc' +
  '3956c25bf348b53859f111f1b605d019923f82a4af194f9bab1c5ed5da6d8118' +
  'd807aa98a303024212835b0145706fbe243185be4ee4b28c550c7dc3d5ffb4e2' +
  '72be5d74f27b896f80deb1fe3b1696b19bdc06a725c71235c19bf174cf692694' +
  'e49b69c19ef14ad2efbe4786384f25e30fc19dc68b8cd5b5240ca1cc77ac9c65' +
  '2de92c6f592b02754a7484aa6ea6e4835cb0a9dcbd41fbd476f988da831153b5' +
  '983e5152ee66dfaba831c66d2db43210b00327c898fb213fbf597fc7beef0ee4' +
  'c6e00bf33da88fc2d5a79147930aa72506ca6351e003826f142929670a0e6e70' +
  '27b70a8546d22ffc2e1b21385c26c9264d2c6dfc5ac42aed53380d139d95b3df' +
  '650a73548baf63de766a0abb3c77b2a881c2c92e47edaee692722c851482353b' +
  'a2bfe8a14cf10364a81a664bbc423001c24b8b70d0f89791c76c51a30654be30' +
  'd192e819d6ef5218d69906245565a910f40e35855771202a106aa07032bbd1b8' +
  '19a4c116b8d2d0c81e376c085141ab532748774cdf8eeb9934b0bcb5e19b48a8' +
  '391c0cb3c5c95a634ed8aa4ae3418acb5b9cca4f7763e373682e6ff3d6b2b8a3' +
  '748f82ee5defb2fc78a5636f43172f6084c87814a1f0ab728cc702081a6439ec' +
  '90befffa23631e28a4506cebde82bde9bef9a3f7b2c67915c67178f2e372532b' +
  'ca273eceea26619cd186b8c721c0c207eada7dd6cde0eb1ef57d4f7fee6ed178' +
  '06f067aa72176fba0a637dc5a2c898a6113f9804bef90dae1b710b35131c471b' +
  '28db77f523047d8432caab7b40c724933c9ebe0a15c9bebc431d67c49c100d4c' +
  '4cc5d4becb3e42b6597f299cfc657e2a5fcb6fab3ad6faec6c44198c4a475817',
);

/** SHA-512 initial hash value (§5.3.5), hi/lo pairs. */
export const IV512 = /* @__PURE__ */ words(
  '6a09e667f3bcc908bb67ae8584caa73b3c6ef372fe94f82ba54ff53a5f1d36f1' +
  '510e527fade682d19b05688c2b3e6c1f1f83d9abfb41bd6b5be0cd19137e2179',
);

/** SHA-384 initial hash value (§5.3.4), hi/lo pairs. */
export const IV384 = /* @__PURE__ */ words(
  'cbbb9d5dc1059ed8629a292a367cd5079159015a3070dd17152fecd8f70e5939' +
  '67332667ffc00b318eb44a8768581511db0c2e0d64f98fa747b5481dbefa4fa4',
);

/** Every other word of `src` from `start` (the hi or lo halves of a hi/lo table). */
function halves(src: Int32Array, start: number, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = src[start + 2 * i];
  return out;
}

/** SHA-256 round constants. */
export const K256 = /* @__PURE__ */ halves(K512, 0, 64);
export const IV256 = /* @__PURE__ */ halves(IV512, 0, 8);
export const IV224 = /* @__PURE__ */ halves(IV384, 1, 8);
