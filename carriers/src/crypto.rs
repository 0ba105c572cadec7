//! What carrier adapters verify webhook signatures with, from the RustCrypto crates and
//! `base64`/`hex`, never written by hand:
//!
//! - `hmac_sha256(key, data)` and `sha256(data)` → a blob (32 bytes);
//! - `hex(data)` / `hex_encode(data)` → lower-case hex text; `hex_decode(text)` → a blob;
//! - `base64_encode(data)` → standard, padded base64; `base64_decode(text)` → a blob;
//! - `constant_time_eq(a, b)` → whether two strings or blobs hold the same bytes, in time that
//!   does not depend on where they differ ([`subtle`]);
//! - `nfkd(text)` → `text` in Unicode normalization form KD (EasyPost normalizes its webhook
//!   secret so before it signs).
//!
//! `key`, `data`, `a` and `b` may each be a string (its UTF-8 bytes) or a blob. What these
//! functions return is a new value, so it is held to the host's size limits like any other;
//! what they read (a webhook's body, say) is not copied into the script.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use rhai::{Blob, Dynamic, EvalAltResult, ImmutableString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use unicode_normalization::UnicodeNormalization;

type Failure = Box<EvalAltResult>;

/// The bytes of a string or a blob; `what` names the argument in the error.
fn bytes(value: &Dynamic, what: &str) -> Result<BytesOf, Failure> {
    if value.is_string() {
        return Ok(BytesOf::Text(value.clone().into_immutable_string()?));
    }
    if value.is_blob() {
        return Ok(BytesOf::Blob(value.clone().cast::<Blob>()));
    }
    Err(format!(
        "{what} must be a string or a blob, not {}",
        value.type_name()
    )
    .into())
}

/// A string (shared, not copied) or a blob.
enum BytesOf {
    Text(ImmutableString),
    Blob(Blob),
}

impl BytesOf {
    fn get(&self) -> &[u8] {
        match self {
            BytesOf::Text(s) => s.as_bytes(),
            BytesOf::Blob(b) => b.as_slice(),
        }
    }
}

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Whether `a` and `b` are the same bytes, compared in constant time for equal lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Registers the functions of this module.
pub(crate) fn register(engine: &mut rhai::Engine) {
    engine.register_fn(
        "hmac_sha256",
        |key: Dynamic, data: Dynamic| -> Result<Blob, Failure> {
            let key = bytes(&key, "hmac_sha256(key, data): key")?;
            let data = bytes(&data, "hmac_sha256(key, data): data")?;
            Ok(hmac_sha256(key.get(), data.get()))
        },
    );
    engine.register_fn("sha256", |data: Dynamic| -> Result<Blob, Failure> {
        let data = bytes(&data, "sha256(data): data")?;
        Ok(Sha256::digest(data.get()).to_vec())
    });
    for name in ["hex", "hex_encode"] {
        engine.register_fn(name, move |data: Dynamic| -> Result<String, Failure> {
            Ok(hex::encode(
                bytes(&data, &format!("{name}(data): data"))?.get(),
            ))
        });
    }
    engine.register_fn(
        "hex_decode",
        |text: ImmutableString| -> Result<Blob, Failure> {
            hex::decode(text.trim()).map_err(|e| format!("hex_decode: not hex: {e}").into())
        },
    );
    engine.register_fn(
        "base64_encode",
        |data: Dynamic| -> Result<String, Failure> {
            let data = bytes(&data, "base64_encode(data): data")?;
            Ok(base64::engine::general_purpose::STANDARD.encode(data.get()))
        },
    );
    engine.register_fn(
        "base64_decode",
        |text: ImmutableString| -> Result<Blob, Failure> {
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|e| format!("base64_decode: not base64: {e}").into())
        },
    );
    engine.register_fn(
        "constant_time_eq",
        |a: Dynamic, b: Dynamic| -> Result<bool, Failure> {
            let a = bytes(&a, "constant_time_eq(a, b): a")?;
            let b = bytes(&b, "constant_time_eq(a, b): b")?;
            Ok(constant_time_eq(a.get(), b.get()))
        },
    );
    engine.register_fn("nfkd", |text: ImmutableString| -> String {
        text.nfkd().collect()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        // RFC 4231, test case 2.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn constant_time_eq_compares_bytes() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(constant_time_eq(b"", b""));
    }
}
