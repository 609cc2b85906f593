//! plansite turns Vietnamese government plans into a bilingual static site.
//!
//! The build runs in stages, one module each: [`load`] reads `content/` into
//! the [`model`], [`resolve`] links agencies and tasks and works out each
//! task's [`state`] as of the build's date, [`render`] turns them
//! into pages, [`opendata`] into data files, [`search`] into a static search
//! index, and [`output`] writes the result safely. [`build`] runs them in
//! order.
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
pub mod import;
pub mod load;
pub mod model;
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

pub use error::{Diagnostic, Error, Result};
