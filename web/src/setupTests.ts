import "@testing-library/jest-dom/vitest";

// jsdom plays no media: its media methods only report "not implemented".
// Here they do nothing, quietly, as a browser with nothing to play would.
// (Tests that run in Node's own environment have no media elements at all.)
if (typeof HTMLMediaElement !== "undefined") {
  HTMLMediaElement.prototype.load = function load() {};
  HTMLMediaElement.prototype.play = function play() {
    return Promise.resolve();
  };
  HTMLMediaElement.prototype.pause = function pause() {};
}
