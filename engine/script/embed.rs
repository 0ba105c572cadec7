// Shared by the build scripts of the crates that ship scripts (waybill-split's strategies,
// waybill-carriers' adapters), through `include!`: one way to embed a folder of `*.rhai`.

use std::path::Path;

/// Writes `OUT_DIR/out` with a `BUILTIN` table of every `*.rhai` file in `folder`.
fn embed(folder: &str, out: &str, doc: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "rhai"));
    entries.sort();
    let mut code = format!("/// {doc}\npub const BUILTIN: &[(&str, &str)] = &[\n");
    for path in &entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_stem().unwrap().to_string_lossy();
        let abs = path.canonicalize().unwrap();
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join(out);
    std::fs::write(out, code).unwrap();
}
