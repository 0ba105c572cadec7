//! Fuzz target: arbitrary bytes as an order file, created on a memory store; the properties are
//! in `waybill_fuzz::order_file`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waybill_fuzz::order_file(data));
