/* Test fixture: imports a function from outside wasi_snapshot_preview1, which no step may
 * have; the host must refuse the module before running it. */
__attribute__((import_module("env"), import_name("open_socket"))) int open_socket(int port);

int main(void) { return open_socket(80) < 0 ? 1 : 0; }
