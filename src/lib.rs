//! plansite turns Vietnamese government plans into a bilingual static site.
//!
//! The build runs in stages, one module each: [`load`] reads `content/` into
//! the [`model`]; [`resolve`] links agencies and tasks and works out each
//! task's [`state`] as of the build's date, giving the resolved site, which
//! also carries the change [`history`] and the short [`names`] every output
//! shows. Four output stages turn the resolved
//! site into files: [`render`] into pages, [`opendata`] into data files,
//! [`search`] into a static search index, and [`changes`] into the change
//! history and its feeds. They depend on the resolved site and on [`web`]
//! (escaping, URL paths, the interface's words), never on each other
//! (`tests/layers.rs` holds them to it). [`output`] writes the result
//! safely, and [`build`] is the one place that runs them all, in order.
//!
//! `plansite serve` keeps a [`session`]: after an edit it redoes only the
//! outputs in the [`scope`] of the change, reusing the rest of the last
//! build.
//!
//! Before all that, [`import`] turns a plan document as received (text from
//! Word or PDF) into a plan file for `content/plans/`. After it, [`report`]
//! gives agencies a spreadsheet form of their tasks and turns the filled
//! form into a progress file for `content/progress/`.

pub mod build;
pub mod changes;
pub mod check;
pub mod deadline;
pub mod error;
pub mod glossary;
pub mod history;
pub mod import;
pub mod load;
pub mod model;
pub mod names;
pub mod opendata;
pub mod output;
pub mod render;
pub mod report;
pub mod resolve;
pub mod scope;
pub mod search;
pub mod serve;
pub mod session;
pub mod state;
pub mod text;
pub mod web;

pub use error::{Diagnostic, Error, Result};
