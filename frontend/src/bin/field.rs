//! The field app the phone installs: the inspector's list, checklists and photos.

fn main() {
    kiemtra_frontend::run_field();
}
