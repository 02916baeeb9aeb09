//! service_mongoose_system_metrics inside a CLI (issue 11; spec/services.md §3, DESIGN.md §4):
//! the opt-in / opt-out notices, the due logic of `initial_report` / `periodic_report` with
//! its state in the store, the cluster id, sending the hits and writing the report file.
//! What a report contains and how it is rendered is [`report`] (pure, no I/O).

pub mod report;
