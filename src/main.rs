//! The `schemac` command line: arguments -> `schemac::convert` -> files.

fn main() {
    std::process::exit(2);
}
