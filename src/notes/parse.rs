//! Markdown to outline and cards.
