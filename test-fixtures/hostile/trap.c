/* Hostile fixture: a WebAssembly trap (unreachable) after reading nothing. */
int main(void) { __builtin_trap(); }
