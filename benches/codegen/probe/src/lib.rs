//! The probe: nothing, zendesk.yaml's tools, the four other shipped connectors, or a
//! generated 500-tool spec (features).

#[cfg(feature = "zendesk")]
toolwire::connector!("../../../connectors/zendesk.yaml");

#[cfg(feature = "others")]
toolwire::connector!("../../../connectors/github.yaml");
#[cfg(feature = "others")]
toolwire::connector!("../../../connectors/slack.yaml");
#[cfg(feature = "others")]
toolwire::connector!("../../../connectors/linear.yaml");
#[cfg(feature = "others")]
toolwire::connector!("../../../connectors/salesforce.yaml");

#[cfg(feature = "large")]
toolwire::connector!("large.yaml");

/// Uses the generated catalog so nothing is dead code.
pub fn tool_count() -> usize {
    #[allow(unused_mut)]
    let mut n = 0;
    #[cfg(feature = "zendesk")]
    {
        n += zendesk::TOOLS.len();
    }
    #[cfg(feature = "others")]
    {
        n += github::TOOLS.len()
            + slack::TOOLS.len()
            + linear::TOOLS.len()
            + salesforce::TOOLS.len();
    }
    #[cfg(feature = "large")]
    {
        n += zendesk_large::TOOLS.len();
    }
    n
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        let expected = if cfg!(feature = "zendesk") { 14 } else { 0 }
            + if cfg!(feature = "others") {
                12 + 10 + 10 + 16
            } else {
                0
            }
            + if cfg!(feature = "large") { 500 } else { 0 };
        assert_eq!(super::tool_count(), expected);
    }
}
