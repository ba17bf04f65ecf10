/* Hostile fixture: its manifest declares the outputs "out" and "summary"; it writes "out" only. */
#include "hostile.h"

int main(void) { return copy_input("/out/out.arrow"); }
