//! Authentication and request signing (owned by the signing work; see issue 3).
