"""개성공업지구 — the Gaeseong (Kaesong) Industrial Complex: firms on leased land, the workers the
North's labour agency supplies, their wages under the dated rules, the payroll remitted to the
North's bureau, and the complex's output."""
