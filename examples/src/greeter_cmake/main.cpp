#include <cstdio>

int main() {
  std::printf("greeter %s, built for python %s\n", GREETER_VERSION, PYTHON_VERSION);
  return 0;
}
