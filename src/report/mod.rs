//! Findings -> report (JSON, HTML).
