//! Toolsets: named sets of tools the operator declares (`--mcp-toolset NAME=SELECTOR,...`),
//! each selector a tool name (`tool:NAME`), a connection (`connection:NAME`) or an annotation
//! (`read_only`); a tool is in the set when any selector matches it. An access token may be
//! limited to one toolset and to read-only tools ([`Scope`]); [`Toolsets::allows`] is the one
//! check both the tool list and the call path use, so a tool hidden from a token is also
//! refused when called. A token naming a toolset the operator no longer declares reaches no
//! tool (fail closed).

use std::collections::BTreeMap;

/// One selector of a toolset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// A tool by name.
    Tool(String),
    /// Every tool of a connection.
    Connection(String),
    /// Every tool annotated read-only.
    ReadOnly,
}

/// What a toolset check needs to know about a tool.
#[derive(Debug, Clone, Copy)]
pub struct ToolFacts<'a> {
    /// The tool's name.
    pub name: &'a str,
    /// Its connection.
    pub connection: &'a str,
    /// Whether it is annotated read-only.
    pub read_only: bool,
}

/// What an access token is limited to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Only this toolset's tools.
    pub toolset: Option<String>,
    /// Only read-only tools.
    pub read_only: bool,
}

/// The operator's toolsets, by name.
#[derive(Debug, Clone, Default)]
pub struct Toolsets {
    sets: BTreeMap<String, Vec<Selector>>,
}

impl Toolsets {
    /// Parses `NAME=SELECTOR[,SELECTOR...]` declarations (the `--mcp-toolset` flag); every
    /// problem is reported at once.
    pub fn parse<'a>(declarations: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut sets = BTreeMap::new();
        let mut problems = Vec::new();
        for decl in declarations {
            let Some((name, selectors)) = decl.split_once('=') else {
                problems.push(format!(
                    "`{decl}`: expected NAME=SELECTOR[,SELECTOR...] (e.g. support=connection:zendesk,tool:crm_lookup)"
                ));
                continue;
            };
            let name = name.trim();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
            {
                problems.push(format!(
                    "`{decl}`: the toolset name must be letters, digits, `_` or `-`"
                ));
                continue;
            }
            let mut parsed = Vec::new();
            for s in selectors
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                match s.split_once(':') {
                    Some(("tool", t)) if !t.is_empty() => parsed.push(Selector::Tool(t.into())),
                    Some(("connection", c)) if !c.is_empty() => {
                        parsed.push(Selector::Connection(c.into()))
                    }
                    None if s == "read_only" => parsed.push(Selector::ReadOnly),
                    _ => problems.push(format!(
                        "`{decl}`: unknown selector `{s}`; use tool:NAME, connection:NAME or read_only"
                    )),
                }
            }
            if parsed.is_empty() {
                problems.push(format!("`{decl}`: a toolset needs at least one selector"));
            }
            if sets.insert(name.to_string(), parsed).is_some() {
                problems.push(format!("toolset `{name}` is declared twice"));
            }
        }
        if problems.is_empty() {
            Ok(Toolsets { sets })
        } else {
            Err(problems.join("; "))
        }
    }

    /// Whether a toolset of that name is declared.
    pub fn contains(&self, name: &str) -> bool {
        self.sets.contains_key(name)
    }

    /// The declared toolset names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sets.keys().map(String::as_str)
    }

    /// `Ok` when `scope` reaches `tool`, else why not (for the `TOOL_NOT_ALLOWED` message).
    pub fn allows(&self, scope: &Scope, tool: &ToolFacts<'_>) -> Result<(), String> {
        if scope.read_only && !tool.read_only {
            return Err(format!(
                "`{}` is not read-only and this access is limited to read-only tools",
                tool.name
            ));
        }
        let Some(set) = &scope.toolset else {
            return Ok(());
        };
        let Some(selectors) = self.sets.get(set) else {
            return Err(format!(
                "the toolset `{set}` of this access is not declared any more"
            ));
        };
        let hit = selectors.iter().any(|s| match s {
            Selector::Tool(t) => t == tool.name,
            Selector::Connection(c) => c == tool.connection,
            Selector::ReadOnly => tool.read_only,
        });
        if hit {
            Ok(())
        } else {
            Err(format!(
                "`{}` is not in the toolset `{set}` of this access",
                tool.name
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(name: &'a str, connection: &'a str, read_only: bool) -> ToolFacts<'a> {
        ToolFacts {
            name,
            connection,
            read_only,
        }
    }

    #[test]
    fn toolsets_select_by_tool_connection_and_annotation() {
        let t = Toolsets::parse(["a=tool:x_get,connection:crm", "ro=read_only"]).unwrap();
        let a = Scope {
            toolset: Some("a".into()),
            read_only: false,
        };
        assert!(t.allows(&a, &facts("x_get", "x", false)).is_ok());
        assert!(t.allows(&a, &facts("crm_put", "crm", false)).is_ok());
        assert!(t.allows(&a, &facts("x_put", "x", false)).is_err());
        let ro = Scope {
            toolset: Some("ro".into()),
            read_only: false,
        };
        assert!(t.allows(&ro, &facts("x_get", "x", true)).is_ok());
        assert!(t.allows(&ro, &facts("x_put", "x", false)).is_err());
        let flag = Scope {
            toolset: None,
            read_only: true,
        };
        assert!(t.allows(&flag, &facts("x_put", "x", false)).is_err());
        assert!(
            t.allows(&Scope::default(), &facts("x_put", "x", false))
                .is_ok()
        );
        let gone = Scope {
            toolset: Some("gone".into()),
            read_only: false,
        };
        assert!(
            t.allows(&gone, &facts("x_get", "x", true)).is_err(),
            "fail closed"
        );
    }

    #[test]
    fn toolset_declarations_report_every_problem() {
        let err = Toolsets::parse(["noequals", "b=bogus:1", "c=", "d=read_only", "d=read_only"])
            .unwrap_err();
        for needle in ["noequals", "bogus:1", "`c=`", "declared twice"] {
            assert!(err.contains(needle), "{needle} in {err}");
        }
    }
}
