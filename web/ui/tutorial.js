// Tutorial: the seed's story in chapters, each on the real core. (Filled in
// after the sandbox itself works; for now the panel stays hidden.)

import { h } from "./dom.js";

export class Tutorial {
  constructor(app) {
    this.app = app;
    this.el = h("section", { class: "rs-panel rs-tutorial", hidden: true });
  }
  relabel() {}
  update() {}
  async open() {}
}
