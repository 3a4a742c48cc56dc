import { MAX_SCALE, NO_ZOOM, clamp, pan, transform, zoomAt } from "./zoom";

describe("digital zoom", () => {
  it("keeps the point under the pointer in place", () => {
    const z = zoomAt(NO_ZOOM, 2, 0.75, 0.75);
    expect(z.scale).toBe(2);
    // The picture point 0.25 right of centre is drawn at scale × (point + x): still at the pointer.
    expect((0.25 + z.x) * z.scale).toBeCloseTo(0.25);
    expect(z.x).toBeCloseTo(-0.125);
  });

  it("never zooms out past the whole picture nor in past the limit", () => {
    expect(zoomAt(NO_ZOOM, 0.5, 0.5, 0.5)).toEqual(NO_ZOOM);
    expect(zoomAt({ scale: 6, x: 0, y: 0 }, 4, 0.5, 0.5).scale).toBe(MAX_SCALE);
  });

  it("pans only as far as the picture reaches", () => {
    const z = pan({ scale: 2, x: 0, y: 0 }, 10, -10);
    expect(z).toEqual({ scale: 2, x: 0.25, y: -0.25 });
    expect(clamp({ scale: 1, x: 0.3, y: -0.3 })).toEqual({ scale: 1, x: 0, y: 0 });
  });

  it("renders as a CSS transform", () => {
    expect(transform({ scale: 2, x: 0.25, y: 0 })).toBe("scale(2) translate(25.000%, 0.000%)");
  });
});
