#include <cstdio>

int main() {
  std::puts("Oh hai!");
  return 0;
}
