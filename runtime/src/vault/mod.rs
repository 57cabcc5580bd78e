//! The credential vault (in progress).
