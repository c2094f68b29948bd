//! Practising answers: comparing with the reference and FSRS scheduling. (Placeholder.)
