//! Throughput benchmark on a generated Oracle schema (see `schema_gen`).
//!
//!   cargo bench                                   # ~20 MB, one thread and all cores
//!   SCHEMAC_BENCH_MB=100 cargo bench              # bigger input
//!   SCHEMAC_BENCH_ITERS=5 cargo bench             # best of 5 (default 3)
//!   SCHEMAC_BENCH_MIX=ddl cargo bench             # one mix only: ddl (storage DDL, the
//!                                                 # mix the goal is stated for) or full
//!                                                 # (DDL + INSERT data + PL/SQL packages)
//!   cargo bench --bench throughput -- --emit-dir /tmp/big   # only write the generated schemas
//!                                                 # (/tmp/big/ddl, /tmp/big/full), to
//!                                                 # convert it with the CLI
//!                                                 # (or SCHEMAC_BENCH_EMIT_DIR=/tmp/big)
//!
//! Reports, per phase (split+parse, passes, emit) and end to end, the best time, MB/s of
//! input and statements (IR objects) per second, then peak RSS (VmHWM). Run by
//! `cargo test --all-targets` (without `--bench`) it only does a small smoke run.

mod schema_gen;

use std::time::{Duration, Instant};

use schema_gen::Mix;
use schemac::source::SourceMap;
use schemac::{Options, SourceDialect, Target};

struct Times {
    parse: Duration,
    passes: Duration,
    emit: Duration,
    total: Duration,
    /// CPU time (user + system, all threads) of the end-to-end run: on a busy machine this is
    /// the figure that says what one core does.
    total_cpu: Duration,
    objects: usize,
    output_bytes: usize,
}

fn source_map(files: &[schema_gen::GenFile]) -> SourceMap {
    let mut map = SourceMap::default();
    for f in files {
        map.add_text(f.name.clone(), f.text.clone());
    }
    map
}

fn run_once(files: &[schema_gen::GenFile], opts: &Options) -> Times {
    let mut map = source_map(files);
    let t0 = Instant::now();
    let mut module = schemac::frontend::parse(&mut map, opts);
    let t1 = Instant::now();
    schemac::passes::run(&mut module, &map, opts);
    let t2 = Instant::now();
    let (scripts, _) = schemac::emit::emit(&module, &map, opts);
    let t3 = Instant::now();
    let objects = module.objects.len();
    let output_bytes = scripts.iter().map(|s| s.text.len()).sum();
    drop((scripts, module, map));

    let map = source_map(files);
    let c4 = cpu_time();
    let t4 = Instant::now();
    let out = schemac::convert(map, opts);
    let total = t4.elapsed();
    let total_cpu = cpu_time().saturating_sub(c4);
    drop(out);
    Times {
        parse: t1 - t0,
        passes: t2 - t1,
        emit: t3 - t2,
        total,
        total_cpu,
        objects,
        output_bytes,
    }
}

/// Best of `iters` runs, phase by phase, in a pool of `threads` threads.
fn measure(files: &[schema_gen::GenFile], opts: &Options, threads: usize, iters: usize) -> Times {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    pool.install(|| {
        let mut best = run_once(files, opts);
        for _ in 1..iters {
            let t = run_once(files, opts);
            best.parse = best.parse.min(t.parse);
            best.passes = best.passes.min(t.passes);
            best.emit = best.emit.min(t.emit);
            best.total = best.total.min(t.total);
            best.total_cpu = best.total_cpu.min(t.total_cpu);
        }
        best
    })
}

/// User + system CPU time of this process (`/proc/self/stat`, clock ticks of 10 ms).
fn cpu_time() -> Duration {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = s.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn env_num(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bench_mode = args.iter().any(|a| a == "--bench");
    let emit_dir = args
        .iter()
        .position(|a| a == "--emit-dir")
        .and_then(|i| args.get(i + 1).cloned())
        .or_else(|| std::env::var("SCHEMAC_BENCH_EMIT_DIR").ok());

    let mb = if bench_mode || emit_dir.is_some() {
        env_num("SCHEMAC_BENCH_MB", 20.0)
    } else {
        0.2 // smoke run under `cargo test --all-targets`
    };
    let iters = if bench_mode {
        env_num("SCHEMAC_BENCH_ITERS", 3.0).max(1.0) as usize
    } else {
        1
    };

    let mixes: Vec<Mix> = match std::env::var("SCHEMAC_BENCH_MIX").as_deref() {
        Ok("ddl") => vec![Mix::Ddl],
        Ok("full") => vec![Mix::Full],
        _ => vec![Mix::Ddl, Mix::Full],
    };

    if let Some(dir) = emit_dir {
        let dir = std::path::PathBuf::from(dir);
        for mix in mixes {
            let files = schema_gen::generate((mb * 1e6) as usize, mix);
            let bytes: usize = files.iter().map(|f| f.text.len()).sum();
            let sub = dir.join(mix.name());
            std::fs::create_dir_all(&sub).expect("create --emit-dir");
            for f in &files {
                std::fs::write(sub.join(&f.name), &f.text).expect("write generated file");
            }
            println!(
                "wrote {} files, {:.1} MB of Oracle scripts to {} \
                 (schemac convert --from oracle --to postgres {} -o OUT)",
                files.len(),
                bytes as f64 / 1e6,
                sub.display(),
                sub.display()
            );
        }
        return;
    }

    for mix in mixes {
        run_mix(mix, mb, iters);
    }
    match peak_rss_mb() {
        Some(m) => println!("peak RSS (VmHWM, whole run): {m:.1} MB"),
        None => println!("peak RSS: unavailable"),
    }
}

fn run_mix(mix: Mix, mb: f64, iters: usize) {
    let t = Instant::now();
    let files = schema_gen::generate((mb * 1e6) as usize, mix);
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let gen_time = t.elapsed();

    let opts = Options::new(SourceDialect::Oracle, Target::Postgres);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!(
        "schemac throughput, mix {}: {:.1} MB of generated Oracle scripts in {} files \
         (generated in {:.2}s), best of {iters}, {} build",
        mix.name(),
        bytes as f64 / 1e6,
        files.len(),
        gen_time.as_secs_f64(),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!(
        "{:>7}  {:<12} {:>9} {:>10} {:>12}",
        "threads", "phase", "time", "MB/s", "stmts/s"
    );
    let mut thread_counts = vec![1];
    if cores > 1 {
        thread_counts.push(cores);
    }
    let mut last = None;
    for &threads in &thread_counts {
        let r = measure(&files, &opts, threads, iters);
        for (phase, d) in [
            ("split+parse", r.parse),
            ("passes", r.passes),
            ("emit", r.emit),
            ("end to end", r.total),
            ("e2e CPU time", r.total_cpu),
        ] {
            let s = d.as_secs_f64().max(1e-9);
            println!(
                "{threads:>7}  {phase:<12} {:>8.3}s {:>10.1} {:>12.0}",
                s,
                bytes as f64 / 1e6 / s,
                r.objects as f64 / s
            );
        }
        last = Some(r);
    }
    if let Some(r) = last {
        println!(
            "statements (IR objects): {}; output: {:.1} MB\n",
            r.objects,
            r.output_bytes as f64 / 1e6
        );
    }
}
