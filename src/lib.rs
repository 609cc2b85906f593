//! plansite turns Vietnamese government plans into a bilingual static site.
//!
//! The build runs in stages, one module each: [`load`] reads `content/` into
//! the [`model`], [`resolve`] links agencies and tasks, [`render`] turns them
//! into pages, [`opendata`] into data files, and [`output`] writes the result
//! safely. [`build`] runs them in order.

pub mod build;
pub mod changes;
pub mod check;
pub mod deadline;
pub mod error;
pub mod glossary;
pub mod load;
pub mod model;
pub mod opendata;
pub mod output;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod text;

pub use error::{Diagnostic, Error, Result};
