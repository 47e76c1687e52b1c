//! Write a target's seed inputs into a directory: `fuzz-seeds <target> <dir>`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, dir] = args.as_slice() else {
        eprintln!("usage: fuzz-seeds <{}> <dir>", cloudsnap_fuzz::TARGETS.join("|"));
        return ExitCode::FAILURE;
    };
    if !cloudsnap_fuzz::TARGETS.contains(&target.as_str()) {
        eprintln!(
            "unknown target `{target}`; one of {}",
            cloudsnap_fuzz::TARGETS.join(", ")
        );
        return ExitCode::FAILURE;
    }
    let seeds = match cloudsnap_fuzz::seeds(target) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create {dir}: {e}");
        return ExitCode::FAILURE;
    }
    for (name, bytes) in &seeds {
        let path = std::path::Path::new(dir).join(name);
        if let Err(e) = std::fs::write(&path, bytes) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    println!("{} seeds for `{target}` in {dir}", seeds.len());
    ExitCode::SUCCESS
}
