"""The array ops TF1 courses use: zeros/ones/fill/*_like, transpose, range, linspace, tile,
gather, expand_dims/squeeze with axis, one_hot, reductions with keep_dims and
reduction_indices, small integer dtypes."""

# rtol: 1e-5
import numpy as np

import gaussfit.engine as tf

m = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
pieces = [
    tf.zeros([2, 3]),
    tf.ones([3], dtype=tf.int32),
    tf.fill([2, 2], 7.5),
    tf.zeros_like(m),
    tf.ones_like(m),
    tf.transpose(m),
    tf.transpose(tf.reshape(tf.range(24), [2, 3, 4]), perm=[2, 0, 1]),
    tf.range(5),
    tf.range(2, 11, 3),
    tf.range(0.0, 1.0, 0.25),
    tf.linspace(0.0, 1.0, 5),
    tf.tile(m, [2, 1]),
    tf.gather(m, [1, 0, 1]),
    tf.gather(tf.constant([10, 20, 30, 40]), tf.constant([[0, 3], [2, 2]])),
    tf.expand_dims(tf.constant([1, 2, 3]), axis=1),
    tf.squeeze(tf.zeros([1, 3, 1]), axis=[2]),
    tf.squeeze(tf.zeros([1, 3, 1])),
    tf.one_hot([0, 2, 1], 3),
    tf.one_hot([1, 0], 3, on_value=5.0, off_value=-1.0),
    tf.reduce_sum(m, reduction_indices=1),
    tf.reduce_mean(m, axis=0, keep_dims=True),
    tf.reduce_max(m, 1, keepdims=True),
    tf.argmax(m, 1),
    tf.argmin(m, axis=0),
    tf.cast(tf.constant([1.7, -2.2, 100.0]), tf.int8),
    tf.cast(tf.constant([3, 250], dtype=tf.int16), tf.uint8),
    tf.constant(np.array([1, 2], dtype=np.int8)) * 3,
    tf.clip_by_value(m, 2.0, 5.0),
    tf.size(m),
    tf.shape(m),
    tf.rank(m),
]
for piece in pieces:
    print(piece.dtype, piece.shape)
with tf.Session() as sess:
    for value in sess.run(pieces):
        print(repr(value))
