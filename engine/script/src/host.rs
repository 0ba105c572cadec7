//! The sandboxed Rhai host. Guards, split strategies and carrier adapters each get a host of
//! their own, built here with only the functions their kind of script may call.
//!
//! Scripts are untrusted. The host has no module resolver (rhai is built with `no_module`), no
//! `eval`, no printing to the terminal, and limits on operations, call depth, expression depth,
//! string, array and map sizes, and wall-clock time per call.

use crate::ScriptError;
use rhai::{Dynamic, Engine, EvalAltResult, Scope, AST};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// The bounds every script runs within.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most operations one call may run.
    pub max_operations: u64,
    /// Deepest function-call nesting.
    pub max_call_levels: usize,
    /// Deepest expression nesting (at compile time).
    pub max_expr_depth: usize,
    /// Longest string, in bytes.
    pub max_string_size: usize,
    /// Longest array.
    pub max_array_size: usize,
    /// Largest map.
    pub max_map_size: usize,
    /// Longest one call may run.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 5_000_000,
            max_call_levels: 48,
            max_expr_depth: 64,
            max_string_size: 64 * 1024,
            max_array_size: 10_000,
            max_map_size: 10_000,
            timeout: Duration::from_millis(500),
        }
    }
}

thread_local! {
    /// When the script running on this thread must stop.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Runs `f` (a host function waiting on something outside the script, like an HTTP call that
/// has its own timeout) without counting its time against the running script's time limit.
pub fn outside_time_limit<T>(f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let result = f();
    let waited = start.elapsed();
    DEADLINE.with(|d| d.set(d.get().map(|end| end + waited)));
    result
}

/// A sandboxed Rhai engine with the host functions of one kind of script.
pub struct ScriptHost {
    engine: Engine,
    limits: Limits,
}

impl std::fmt::Debug for ScriptHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptHost")
            .field("limits", &self.limits)
            .finish()
    }
}

impl Default for ScriptHost {
    /// A host with the default limits and no host functions.
    fn default() -> Self {
        Self::new(Limits::default(), |_| {})
    }
}

impl ScriptHost {
    /// A host with the given limits, to which `register` adds the host functions and types of
    /// the scripts it will run (guard views, strategy types, carrier functions).
    pub fn new(limits: Limits, register: impl FnOnce(&mut Engine)) -> ScriptHost {
        let mut engine = Engine::new();
        engine
            .set_max_operations(limits.max_operations)
            .set_max_call_levels(limits.max_call_levels)
            .set_max_expr_depths(limits.max_expr_depth, limits.max_expr_depth)
            .set_max_string_size(limits.max_string_size)
            .set_max_array_size(limits.max_array_size)
            .set_max_map_size(limits.max_map_size)
            .set_strict_variables(true)
            .set_fail_on_invalid_map_property(true);
        register(&mut engine);
        engine.disable_symbol("eval");
        engine.on_print(|_| {});
        engine.on_debug(|_, _, _| {});
        engine.on_progress(|ops| {
            if ops % 512 != 0 {
                return None;
            }
            let late = DEADLINE.with(|d| d.get().is_some_and(|end| Instant::now() > end));
            late.then(|| Dynamic::from("timeout"))
        });
        ScriptHost { engine, limits }
    }

    /// Compiles `source`, allowing only the free variables named in `variables`.
    pub fn compile(&self, source: &str, variables: &[&str]) -> Result<AST, ScriptError> {
        // Variables, not constants: the optimizer would fold a constant's `()` into the script
        // (`"x" in input` would then test `()` whatever input it runs with).
        let mut scope = Scope::new();
        for name in variables {
            scope.push(*name, ());
        }
        self.engine
            .compile_with_scope(&scope, source)
            .map_err(|e| ScriptError::Failed(e.to_string()))
    }

    /// Runs a compiled script with `scope` and returns its value.
    pub fn eval(&self, ast: &AST, scope: &mut Scope) -> Result<Dynamic, ScriptError> {
        self.guarded(|| self.engine.eval_ast_with_scope::<Dynamic>(scope, ast))
    }

    /// Calls the function `name` of a compiled script with `args`.
    pub fn call(
        &self,
        ast: &AST,
        name: &str,
        args: impl rhai::FuncArgs,
    ) -> Result<Dynamic, ScriptError> {
        let mut scope = Scope::new();
        self.guarded(|| self.engine.call_fn::<Dynamic>(&mut scope, ast, name, args))
    }

    /// Calls the function `name` with `tag` as the call's state: host functions read it with
    /// [`rhai::NativeCallContext::tag`] (a carrier's configuration and HTTP policy, say), so
    /// what one call may do never leaks into another.
    pub fn call_tagged(
        &self,
        ast: &AST,
        name: &str,
        args: impl rhai::FuncArgs,
        tag: Dynamic,
    ) -> Result<Dynamic, ScriptError> {
        let mut scope = Scope::new();
        let options = rhai::CallFnOptions::new().with_tag(tag);
        self.guarded(|| {
            self.engine
                .call_fn_with_options::<Dynamic>(options, &mut scope, ast, name, args)
        })
    }

    /// Whether the script defines a function `name` taking `arity` arguments.
    pub fn has_fn(ast: &AST, name: &str, arity: usize) -> bool {
        ast.iter_functions()
            .any(|f| f.name == name && f.params.len() == arity)
    }

    /// Runs `run` under this host's deadline and turns its error into words.
    fn guarded(
        &self,
        run: impl FnOnce() -> Result<Dynamic, Box<EvalAltResult>>,
    ) -> Result<Dynamic, ScriptError> {
        let previous = DEADLINE.with(|d| d.replace(Some(Instant::now() + self.limits.timeout)));
        let result = run();
        DEADLINE.with(|d| d.set(previous));
        result.map_err(|e| ScriptError::Failed(self.explain(&e)))
    }

    fn explain(&self, err: &EvalAltResult) -> String {
        match err {
            EvalAltResult::ErrorTooManyOperations(_) => format!(
                "stopped: the script ran more than {} operations (an endless loop?)",
                self.limits.max_operations
            ),
            EvalAltResult::ErrorTerminated(..) => format!(
                "stopped: the script ran longer than {} ms",
                self.limits.timeout.as_millis()
            ),
            EvalAltResult::ErrorStackOverflow(_) => format!(
                "stopped: calls nested deeper than {} levels (runaway recursion?)",
                self.limits.max_call_levels
            ),
            EvalAltResult::ErrorDataTooLarge(what, _) => format!(
                "stopped: {what} grew past the host's limit (strings {} bytes, arrays {} items, maps {} entries)",
                self.limits.max_string_size, self.limits.max_array_size, self.limits.max_map_size
            ),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> Result<Dynamic, ScriptError> {
        let host = ScriptHost::default();
        let ast = host.compile(src, &[])?;
        host.eval(&ast, &mut Scope::new())
    }

    #[test]
    fn a_variable_is_read_when_the_script_runs_not_when_it_compiles() {
        let host = ScriptHost::default();
        let ast = host.compile(r#""reason" in input"#, &["input"]).unwrap();
        let mut input = rhai::Map::new();
        input.insert("reason".into(), Dynamic::from("late"));
        let mut scope = Scope::new();
        scope.push("input", input);
        assert!(host.eval(&ast, &mut scope).unwrap().as_bool().unwrap());
        let mut empty = Scope::new();
        empty.push("input", rhai::Map::new());
        assert!(!host.eval(&ast, &mut empty).unwrap().as_bool().unwrap());
    }

    #[test]
    fn endless_loop_is_stopped_quickly() {
        let start = Instant::now();
        let err = run("loop { }").unwrap_err();
        assert!(err.to_string().starts_with("stopped:"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn deep_recursion_is_stopped() {
        let err = run("fn f(n) { f(n + 1) } f(0)").unwrap_err();
        assert!(err.to_string().contains("nested deeper"), "{err}");
    }

    #[test]
    fn huge_data_is_stopped() {
        let err = run("let s = \"x\"; loop { s += s; }").unwrap_err();
        assert!(err.to_string().contains("grew past"), "{err}");
        let err = run("let a = []; loop { a.push(1); }").unwrap_err();
        assert!(err.to_string().contains("grew past"), "{err}");
    }

    #[test]
    fn eval_import_and_unknown_variables_are_rejected() {
        assert!(run("eval(\"1\")").is_err());
        assert!(run("import \"x\" as y; 1").is_err());
        let err = run("secret + 1").unwrap_err();
        assert!(err.to_string().contains("secret"), "{err}");
    }
}
