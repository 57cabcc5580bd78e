//! Proc-macro expansion work, timed alone: what `toolwire::connector!(FILE)` does at compile
//! time (`Generator::from_source`: parse + check the spec, build the IR; `.tokens()`: emit the
//! token stream; `.to_string()`: roughly the hand-over to rustc), per spec file, median of
//! `--runs`. Build it in the profile the macro runs in: a `cargo build` (dev) runs proc-macros
//! unoptimised, `--release` optimised.
//!
//! `cargo run [--release] -p toolwire-benches --bin codegen_time -- [--runs 5] FILE...`

use std::time::{Duration, Instant};

use toolwire_codegen::Generator;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs: usize = toolwire_benches::arg("runs", 5);
    let files: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || !args[i - 1].starts_with("--")))
        .map(|(_, a)| a)
        .collect();
    let profile = if cfg!(debug_assertions) {
        "dev"
    } else {
        "release"
    };
    for file in files {
        let text = std::fs::read_to_string(file).expect("spec file");
        let (mut load, mut emit, mut render) = (vec![], vec![], vec![]);
        let (mut tools, mut chars) = (0, 0);
        for _ in 0..runs {
            let t = Instant::now();
            let g = Generator::from_source(file, &text).expect("spec loads");
            load.push(t.elapsed());
            let t = Instant::now();
            let tokens = g.tokens();
            emit.push(t.elapsed());
            let t = Instant::now();
            chars = tokens.to_string().len();
            render.push(t.elapsed());
            tools = g.spec().tools.len();
        }
        let med = |v: &mut Vec<Duration>| {
            v.sort();
            v[v.len() / 2].as_secs_f64() * 1e3
        };
        let (l, e, r) = (med(&mut load), med(&mut emit), med(&mut render));
        println!(
            "[{profile}] {file}: {} KiB, {tools} tools -> {:.0} KiB of tokens; load+check {l:.1} ms, \
             emit {e:.1} ms, to_string {r:.1} ms, total {:.1} ms (median of {runs})",
            text.len() / 1024,
            chars as f64 / 1024.0,
            l + e + r
        );
    }
}
