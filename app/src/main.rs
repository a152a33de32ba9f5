fn main() {
    so_suc_khoe::start();
}
