//! The agency screens (reviewers and admins), loaded only under `/agency`.

fn main() {
    kiemtra_frontend::agency::run();
}
