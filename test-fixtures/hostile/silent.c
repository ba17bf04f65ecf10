/* Hostile fixture: exits 0 without writing its output port. */
int main(void) { return 0; }
