//! Bytes to text: UTF-8, mojibake repair, Windows-1252 fallback.
