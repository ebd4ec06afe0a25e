import { describe, expect, it } from "vitest";
import { parseUploadProps } from "./props";

const newDataset = {
  mode: "new",
  uploadUrl: "/api/v1/datasets/upload/",
  datasetsUrl: "/api/v1/datasets/",
  workspaces: [{ slug: "acme", name: "Acme" }],
  defaultWorkspace: "acme",
  maxBytes: 2147483648,
  datasetUrl: null,
};

const newVersion = {
  mode: "version",
  uploadUrl: "/api/v1/datasets/5b0e7a52-3c1d-4e8f-9a6b-2d4c8e1f0a37/versions/",
  workspaces: [],
  defaultWorkspace: null,
  maxBytes: 2147483648,
  datasetUrl: "/w/acme/sales/",
};

describe("upload props", () => {
  it("reads the props of the new-dataset page", () => {
    expect(parseUploadProps(newDataset)).toEqual(newDataset);
  });

  it("reads the props of the new-version page, where workspaces and datasetsUrl may be left out", () => {
    expect(parseUploadProps({ ...newVersion, workspaces: undefined })).toEqual({ ...newVersion, datasetsUrl: null });
  });

  it.each([
    [{ ...newDataset, mode: "replace" }, '"mode" must be "new" or "version"'],
    [{ ...newDataset, maxBytes: 0 }, '"maxBytes" must be a positive number'],
    [{ ...newDataset, maxBytes: "2GB" }, '"maxBytes" must be a positive number'],
    [{ ...newDataset, datasetsUrl: null }, '"datasetsUrl" must be a non-empty string'],
    [{ ...newDataset, workspaces: [{ slug: "acme" }] }, '"name" must be a non-empty string'],
    [{ ...newDataset, workspaces: "acme" }, '"workspaces" must be a list'],
    [{ ...newVersion, datasetUrl: null }, '"datasetUrl" must be a non-empty string'],
    [{ ...newVersion, uploadUrl: "" }, '"uploadUrl" must be a non-empty string'],
  ])("refuses %j", (raw, message) => {
    expect(() => parseUploadProps(raw)).toThrow(message);
  });
});
