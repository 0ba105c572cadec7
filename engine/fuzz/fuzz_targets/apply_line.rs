//! Fuzz target: arbitrary bytes as the lines of a `waybill apply` file, one command each, run in
//! sequence on one store; the properties are in `waybill_fuzz::apply_lines`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waybill_fuzz::apply_lines(data));
