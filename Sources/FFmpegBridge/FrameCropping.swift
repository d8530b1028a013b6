import CFFmpeg

extension Frame {
    /// A new reference to the `width`×`height` rectangle of this picture at (`x`, `y`), without copying pixels:
    /// the copy's plane pointers start inside the rectangle (`av_frame_apply_cropping`). Even `x` and `y` keep
    /// 4:2:0 chroma exact.
    public func cropped(x: Int, y: Int, width: Int, height: Int) throws(FFmpegError) -> Frame {
        guard x >= 0, y >= 0, width > 0, height > 0, x + width <= self.width, y + height <= self.height else {
            throw FFmpegError(operation: "crop a picture",
                              message: "the rectangle \(width)x\(height) at \(x),\(y) is not inside the \(self.width)x\(self.height) picture")
        }
        let copy = try clone()
        copy.pointer.pointee.crop_left = Int(x)
        copy.pointer.pointee.crop_top = Int(y)
        copy.pointer.pointee.crop_right = Int(self.width - x - width)
        copy.pointer.pointee.crop_bottom = Int(self.height - y - height)
        // Unaligned: the rectangle must start exactly at x, not at the nearest aligned byte.
        try check(av_frame_apply_cropping(copy.pointer, Int32(AV_FRAME_CROP_UNALIGNED)), "crop a picture")
        return copy
    }
}
