//! The enterprise portal, loaded only under `/portal`.

fn main() {
    kiemtra_frontend::portal::run();
}
