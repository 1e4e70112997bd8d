//! Attachment 2 checks (SPEC 4.3, 4.4).
