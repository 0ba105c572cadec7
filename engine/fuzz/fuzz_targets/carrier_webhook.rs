//! Fuzz target: arbitrary bytes as a carrier webhook (the first byte picks the built-in adapter;
//! then header lines, an empty line, the body); the properties are in `waybill_fuzz::webhook`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waybill_fuzz::webhook(data));
