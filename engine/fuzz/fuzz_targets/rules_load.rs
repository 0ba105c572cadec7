//! Fuzz target: arbitrary bytes as a rule file; the properties are in `waybill_fuzz::rules`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waybill_fuzz::rules(data));
