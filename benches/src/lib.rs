//! Holds the criterion benchmarks of pumppath; run them with `cargo bench -p pumppath-benches`.
