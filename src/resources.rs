//! Where the files Rehearse ships with are found — the bundled notes and the
//! sentence-embedding model — whether it runs installed from a package, as a
//! copied build, or from its source tree.
//!
//! Each [`Shipped`] folder is looked for, in order:
//!
//! 1. in its environment variable (`REHEARSE_NOTES_DIR`, `REHEARSE_MODEL_DIR`),
//!    taken as given: the user's or a test's choice;
//! 2. in the install's resource folder, `<exe>/../lib/Rehearse/<folder>`: the
//!    .deb and .rpm put resources in `/usr/lib/Rehearse/`, beside `/usr/bin/`,
//!    which holds both the app and the CLI (Tauri's own `resource_dir` looks
//!    there too);
//! 3. in the source tree, only for an executable running from cargo's output
//!    folder (`target/release/`, or `deps/` below it for tests). An installed
//!    copy never reads the tree it was built from, so a package that lacks a
//!    resource fails on the build machine as it would anywhere else. The tree
//!    comes before the copies beside a cargo build (the app's build script
//!    copies its resources into `target/release/`, but misses notes added or
//!    removed since it last ran);
//! 4. beside the executable, `<exe>/<folder>` or `<exe>/resources/<folder>`: a
//!    build copied together with its files;
//! 5. in `/usr/lib/Rehearse/<folder>`: a CLI copied elsewhere on a machine where
//!    the package is installed.
//!
//! A folder counts only when it holds what it is for (the model's weights).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The app's `productName` in `src-tauri/tauri.conf.json`: the bundler names
/// the resource folder after it.
const PRODUCT_NAME: &str = "Rehearse";

/// A folder that ships with Rehearse.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shipped {
    /// Its name in the install's resource folder (`bundle.resources` in
    /// `src-tauri/tauri.conf.json` maps the source folder to this name).
    folder: &'static str,
    /// The environment variable that overrides the search.
    variable: &'static str,
    /// Where it is in the source tree, relative to the core crate's root.
    in_source_tree: &'static str,
    /// A file the folder must hold to count; `None`: the folder itself.
    marker: Option<&'static str>,
}

/// The five notes in `notes/`.
pub(crate) const NOTES: Shipped = Shipped {
    folder: "notes",
    variable: "REHEARSE_NOTES_DIR",
    in_source_tree: "notes",
    marker: None,
};

/// all-MiniLM-L6-v2; `scripts/setup` fetches it into the source tree. A folder
/// without the weights is a half-copied model, not the model.
pub(crate) const MODEL: Shipped = Shipped {
    folder: "model",
    variable: "REHEARSE_MODEL_DIR",
    in_source_tree: "models/all-minilm-l6-v2",
    marker: Some("model.safetensors"),
};

/// Reads an environment variable; tests give their own.
type Variables = dyn Fn(&str) -> Option<OsString>;

/// What the search depends on, gathered once so tests can stage it.
struct Places {
    /// The running executable's folder, symlinks resolved.
    exe_dir: Option<PathBuf>,
    /// The core crate's root when it was compiled.
    source_tree: PathBuf,
    /// The resource folder of a package installed system-wide.
    system_install: PathBuf,
    variable: Box<Variables>,
}

impl Places {
    fn of_this_process() -> Places {
        Places {
            exe_dir: std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(Path::to_path_buf)),
            source_tree: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            system_install: Path::new("/usr/lib").join(PRODUCT_NAME),
            variable: Box::new(|name| std::env::var_os(name)),
        }
    }

    /// Cargo keeps a `.cargo-lock` in its profile folder (`target/release/`);
    /// test executables live one level down, in `deps/`.
    fn runs_from_cargo_output(&self) -> bool {
        self.exe_dir.as_deref().is_some_and(|dir| {
            dir.ancestors()
                .take(2)
                .any(|folder| folder.join(".cargo-lock").is_file())
        })
    }

    fn install_dir(&self) -> Option<PathBuf> {
        let dir = self.exe_dir.as_deref()?;
        Some(dir.parent()?.join("lib").join(PRODUCT_NAME))
    }
}

impl Shipped {
    /// Where the folder is, when it is anywhere; see the module docs for the order.
    pub(crate) fn find(&self) -> Option<PathBuf> {
        self.find_in(&Places::of_this_process())
    }

    /// Where the folder is, or else where it should have been — so that the
    /// error that follows names the place to look.
    pub(crate) fn find_or_expected(&self) -> PathBuf {
        let places = Places::of_this_process();
        self.find_in(&places)
            .unwrap_or_else(|| self.expected_in(&places))
    }

    fn find_in(&self, places: &Places) -> Option<PathBuf> {
        if let Some(dir) = (places.variable)(self.variable).filter(|v| !v.is_empty()) {
            return Some(PathBuf::from(dir));
        }
        let install = places.install_dir().map(|dir| dir.join(self.folder));
        let source_tree = places
            .runs_from_cargo_output()
            .then(|| places.source_tree.join(self.in_source_tree));
        let beside_exe = places.exe_dir.iter().flat_map(|dir| {
            [
                dir.join(self.folder),
                dir.join("resources").join(self.folder),
            ]
        });
        let system = places.system_install.join(self.folder);
        install
            .into_iter()
            .chain(source_tree)
            .chain(beside_exe)
            .chain([system])
            .find(|dir| self.holds_it(dir))
    }

    fn expected_in(&self, places: &Places) -> PathBuf {
        if places.runs_from_cargo_output() {
            return places.source_tree.join(self.in_source_tree);
        }
        places
            .install_dir()
            .unwrap_or_else(|| places.system_install.clone())
            .join(self.folder)
    }

    fn holds_it(&self, dir: &Path) -> bool {
        match self.marker {
            Some(file) => dir.join(file).is_file(),
            None => dir.is_dir(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::fs;

    use tempfile::TempDir;

    use super::*;

    /// A pretend file system: a machine with `/usr`, a source tree and a cargo
    /// output folder, all empty until a test puts something there.
    struct Machine {
        root: TempDir,
        variables: HashMap<String, OsString>,
    }

    impl Machine {
        fn new() -> Machine {
            Machine {
                root: tempfile::tempdir().expect("a temp dir"),
                variables: HashMap::new(),
            }
        }

        fn path(&self, relative: &str) -> PathBuf {
            self.root.path().join(relative)
        }

        fn folder(&self, relative: &str) -> PathBuf {
            let dir = self.path(relative);
            fs::create_dir_all(&dir).expect("a folder");
            dir
        }

        fn file(&self, relative: &str) {
            let path = self.path(relative);
            fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            fs::write(path, b"x").expect("a file");
        }

        /// Cargo's profile folder, marked the way cargo marks it.
        fn cargo_output(&self) -> PathBuf {
            self.file("src/target/release/.cargo-lock");
            self.path("src/target/release")
        }

        fn places(&self, exe_dir: PathBuf) -> Places {
            let variables = self.variables.clone();
            Places {
                exe_dir: Some(exe_dir),
                source_tree: self.path("src"),
                system_install: self.path("usr/lib/Rehearse"),
                variable: Box::new(move |name| variables.get(name).cloned()),
            }
        }
    }

    #[test]
    fn an_installed_package_is_found_from_usr_bin_through_lib_rehearse() {
        let machine = Machine::new();
        let notes = machine.folder("opt/usr/lib/Rehearse/notes");
        let places = machine.places(machine.folder("opt/usr/bin"));
        assert_eq!(NOTES.find_in(&places), Some(notes));
    }

    #[test]
    fn the_environment_variable_wins_over_an_install_and_is_taken_as_given() {
        let mut machine = Machine::new();
        machine.folder("usr/lib/Rehearse/notes");
        let chosen = machine.path("mine/does-not-exist");
        machine
            .variables
            .insert("REHEARSE_NOTES_DIR".into(), chosen.clone().into());
        let places = machine.places(machine.folder("usr/bin"));
        assert_eq!(NOTES.find_in(&places), Some(chosen));
    }

    #[test]
    fn an_empty_environment_variable_is_as_good_as_none() {
        let mut machine = Machine::new();
        let notes = machine.folder("usr/lib/Rehearse/notes");
        machine
            .variables
            .insert("REHEARSE_NOTES_DIR".into(), OsString::new());
        let places = machine.places(machine.folder("usr/bin"));
        assert_eq!(NOTES.find_in(&places), Some(notes));
    }

    #[test]
    fn the_install_wins_over_a_copy_beside_the_executable() {
        let machine = Machine::new();
        let installed = machine.folder("usr/lib/Rehearse/notes");
        machine.folder("usr/bin/notes");
        let places = machine.places(machine.folder("usr/bin"));
        assert_eq!(NOTES.find_in(&places), Some(installed));
    }

    #[test]
    fn a_copy_beside_the_executable_is_found_also_in_a_resources_folder() {
        let machine = Machine::new();
        let copied = machine.folder("portable/resources/notes");
        let places = machine.places(machine.folder("portable"));
        assert_eq!(NOTES.find_in(&places), Some(copied));
    }

    #[test]
    fn a_build_running_from_cargo_output_reads_the_source_tree() {
        let machine = Machine::new();
        let notes = machine.folder("src/notes");
        let release = machine.cargo_output();
        assert_eq!(
            NOTES.find_in(&machine.places(release.clone())),
            Some(notes.clone())
        );
        let tests = machine.folder("src/target/release/deps");
        assert_eq!(NOTES.find_in(&machine.places(tests)), Some(notes));
    }

    #[test]
    fn a_build_running_from_cargo_output_prefers_the_source_tree_to_copies_beside_it() {
        let machine = Machine::new();
        let notes = machine.folder("src/notes");
        machine.folder("src/target/release/notes");
        let places = machine.places(machine.cargo_output());
        assert_eq!(NOTES.find_in(&places), Some(notes));
    }

    #[test]
    fn an_installed_binary_never_reads_the_source_tree_it_was_built_from() {
        let machine = Machine::new();
        machine.folder("src/notes");
        let places = machine.places(machine.folder("usr/bin"));
        assert_eq!(NOTES.find_in(&places), None);
        assert_eq!(
            NOTES.expected_in(&places),
            machine.path("usr/lib/Rehearse/notes"),
            "the error names the install's folder"
        );
    }

    #[test]
    fn a_cli_copied_elsewhere_uses_the_package_installed_system_wide() {
        let machine = Machine::new();
        let installed = machine.folder("usr/lib/Rehearse/notes");
        let places = machine.places(machine.folder("home/me/bin"));
        assert_eq!(NOTES.find_in(&places), Some(installed));
    }

    #[test]
    fn a_model_folder_without_its_weights_is_passed_over() {
        let machine = Machine::new();
        machine.file("usr/lib/Rehearse/model/tokenizer.json");
        machine.file("src/models/all-minilm-l6-v2/model.safetensors");
        let places = machine.places(machine.cargo_output());
        assert_eq!(
            MODEL.find_in(&places),
            Some(machine.path("src/models/all-minilm-l6-v2"))
        );
    }

    #[test]
    fn nothing_found_from_cargo_output_points_at_the_source_tree() {
        let machine = Machine::new();
        let places = machine.places(machine.cargo_output());
        assert_eq!(MODEL.find_in(&places), None);
        assert_eq!(
            MODEL.expected_in(&places),
            machine.path("src/models/all-minilm-l6-v2")
        );
    }

    /// The bundler decides the install's layout from the Tauri config; the
    /// lookup above assumes it, so the two must agree.
    #[test]
    fn the_tauri_bundle_puts_each_folder_where_the_lookup_expects_it() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/tauri.conf.json");
        let text = fs::read_to_string(&path).expect("src-tauri/tauri.conf.json");
        let config: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(config["productName"], PRODUCT_NAME);
        let resources = config["bundle"]["resources"]
            .as_object()
            .expect("bundle.resources maps source paths to install paths");
        for shipped in [NOTES, MODEL] {
            let source = format!("../{}/", shipped.in_source_tree);
            assert_eq!(
                resources.get(&source).and_then(|v| v.as_str()),
                Some(format!("{}/", shipped.folder).as_str()),
                "bundle.resources maps {source} to {}/",
                shipped.folder
            );
        }
    }
}
