//! Attribute lookups on quick-xml start tags, shared by the package (`opc`), `ods` and `heights`
//! readers. A leaf: it uses nothing else of pgcheck.

pub(crate) fn attr_u64(e: &quick_xml::events::BytesStart<'_>, local: &str) -> Option<u64> {
    e.attributes().flatten().find_map(|a| {
        if a.key.local_name().as_ref() == local {
            a.value.trim().parse().ok()
        } else {
            None
        }
    })
}

pub(crate) fn attr_string(e: &quick_xml::events::BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        if a.key.local_name().as_ref() == local {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        } else {
            None
        }
    })
}
