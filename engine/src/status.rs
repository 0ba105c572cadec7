//! The one place that says what each [`Kind`] of failure answers: the CLI's exit code and the
//! HTTP server's status. Both read it from here, so a refusal is exit 1 and 409 everywhere.

use crate::Kind;

/// Exit code: the rules refused the command.
pub const EXIT_REFUSED: i32 = 1;
/// Exit code: bad input or usage, a name that is not found, a script of the user's that failed.
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code: storage or internal fault.
pub const EXIT_INTERNAL: i32 = 3;
/// Exit code: not believed (a carrier adapter refused a webhook: a missing or wrong signature).
pub const EXIT_UNAUTHORIZED: i32 = 4;

/// The CLI's exit code for a failure of `kind`.
pub fn exit_code(kind: Kind) -> i32 {
    match kind {
        Kind::Refused => EXIT_REFUSED,
        // A user's strategy or carrier script is theirs to fix, like a typo in the command.
        Kind::BadInput | Kind::NotFound | Kind::Script => EXIT_BAD_INPUT,
        Kind::Workflow | Kind::Storage => EXIT_INTERNAL,
        Kind::Unauthorized => EXIT_UNAUTHORIZED,
    }
}

/// The HTTP status for a failure of `kind`: 409 refused by the rules, 400 bad input, 401 not
/// believed (a webhook's signature), 404 not found, 422 a script of the user's failed, 500 the
/// workflow did not settle, 503 storage.
pub fn http_status(kind: Kind) -> u16 {
    match kind {
        Kind::Refused => 409,
        Kind::BadInput => 400,
        Kind::NotFound => 404,
        Kind::Script => 422,
        Kind::Workflow => 500,
        Kind::Storage => 503,
        Kind::Unauthorized => 401,
    }
}

/// The kind of failure an HTTP status stands for (what [`http_status`] gives, read back), so a
/// client of the server fails with the exit code the CLI would have given; 403 is a refusal (by
/// role), any other status a storage fault.
pub fn kind_of_status(status: u16) -> Kind {
    match status {
        409 | 403 => Kind::Refused,
        401 => Kind::Unauthorized,
        400 => Kind::BadInput,
        404 => Kind::NotFound,
        422 => Kind::Script,
        500 => Kind::Workflow,
        _ => Kind::Storage,
    }
}

/// A short name of `kind`, as the `type` of an HTTP problem and the `kind` of a JSON error.
pub fn name(kind: Kind) -> &'static str {
    match kind {
        Kind::Refused => "refused",
        Kind::BadInput => "bad-input",
        Kind::NotFound => "not-found",
        Kind::Script => "script-failed",
        Kind::Workflow => "workflow",
        Kind::Storage => "storage",
        Kind::Unauthorized => "unauthorized",
    }
}
