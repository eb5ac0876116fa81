//! A readable text dump of the IR (for tests and `--dump-ir`).

use super::Module;

pub fn dump(module: &Module) -> String {
    let mut s = String::new();
    for o in &module.objects {
        s.push_str(&format!(
            "{} {} {:?}\n",
            o.kind.as_str(),
            o.display_name(),
            o.stmt
        ));
    }
    s
}
