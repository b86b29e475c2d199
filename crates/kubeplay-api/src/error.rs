//! API errors, shaped like `metav1.Status`: a reason, a message, and for `Invalid` the field
//! causes. How kubectl prints them is the shell crate's business.

use crate::registry::ResourceInfo;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    NotFound,
    AlreadyExists,
    /// HTTP 422, with field causes.
    Invalid,
    BadRequest,
    Conflict,
    Forbidden,
    MethodNotAllowed,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotFound => "NotFound",
            Reason::AlreadyExists => "AlreadyExists",
            Reason::Invalid => "Invalid",
            Reason::BadRequest => "BadRequest",
            Reason::Conflict => "Conflict",
            Reason::Forbidden => "Forbidden",
            Reason::MethodNotAllowed => "MethodNotAllowed",
        }
    }
}

/// One field error: `spec.selector` + `Required value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cause {
    pub field: String,
    pub message: String,
}

impl Cause {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Cause {
        Cause {
            field: field.into(),
            message: message.into(),
        }
    }
    pub fn required(field: impl Into<String>) -> Cause {
        Cause::new(field, "Required value")
    }
    pub fn forbidden(field: impl Into<String>, detail: &str) -> Cause {
        Cause::new(field, format!("Forbidden: {detail}"))
    }
    /// `Invalid value: <rendered>: <detail>`; `rendered` is already rendered (`"x"`, `0`, `{}`).
    pub fn invalid(field: impl Into<String>, rendered: &str, detail: &str) -> Cause {
        Cause::new(field, format!("Invalid value: {rendered}: {detail}"))
    }
    pub fn to_line(&self) -> String {
        format!("{}: {}", self.field, self.message)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub reason: Reason,
    pub message: String,
    /// For `Invalid`: the kind (`Deployment`) and name the causes belong to.
    pub kind: String,
    pub name: String,
    pub causes: Vec<Cause>,
}

impl ApiError {
    pub fn new(reason: Reason, message: impl Into<String>) -> ApiError {
        ApiError {
            reason,
            message: message.into(),
            kind: String::new(),
            name: String::new(),
            causes: vec![],
        }
    }
    pub fn not_found(info: &ResourceInfo, name: &str) -> ApiError {
        ApiError::new(
            Reason::NotFound,
            format!("{} \"{}\" not found", info.plural_group(), name),
        )
    }
    pub fn already_exists(info: &ResourceInfo, name: &str) -> ApiError {
        ApiError::new(
            Reason::AlreadyExists,
            format!("{} \"{}\" already exists", info.plural_group(), name),
        )
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(Reason::BadRequest, message)
    }
    /// An `Invalid` error: `The Deployment "web" is invalid: ...`.
    pub fn invalid(kind: &str, name: &str, causes: Vec<Cause>) -> ApiError {
        let mut e = ApiError::new(Reason::Invalid, String::new());
        e.kind = kind.to_string();
        e.name = name.to_string();
        let mut seen = Vec::new();
        for c in causes {
            if !seen.contains(&c) {
                seen.push(c);
            }
        }
        e.causes = seen;
        e.message = e.invalid_message();
        e
    }

    fn invalid_message(&self) -> String {
        let head = format!("{} \"{}\" is invalid: ", self.kind, self.name);
        match self.causes.as_slice() {
            [one] => format!("{head}{}", one.to_line()),
            many => {
                let mut s = format!("{head}\n");
                let lines: Vec<String> =
                    many.iter().map(|c| format!("* {}", c.to_line())).collect();
                s.push_str(&lines.join("\n"));
                s
            }
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
