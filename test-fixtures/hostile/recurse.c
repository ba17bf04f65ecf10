/* Hostile fixture: unbounded recursion. The call goes through a volatile function pointer, so
 * the compiler can neither inline it nor turn it into a loop, and each frame keeps a value
 * across the call: the engine's own call stack overflows. */
static unsigned deeper(unsigned depth);
static unsigned (*volatile next)(unsigned) = deeper;

static unsigned deeper(unsigned depth) {
  unsigned below = next(depth + 1);
  return below * 3u + depth;
}

int main(void) { return (int)next(0); }
