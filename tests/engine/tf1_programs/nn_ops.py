"""The tf.nn functions of TF1 courses, their values and gradients."""

# rtol: 1e-5
import gaussfit.engine as tf

logits = tf.constant([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0]])
onehot = tf.constant([[0.0, 1.0, 0.0], [0.2, 0.0, 0.8]])
sparse = tf.constant([0, 2])
binary = tf.constant([[1.0, 0.0, 1.0], [0.0, 0.5, 1.0]])
values = [
    tf.nn.relu(logits),
    tf.nn.sigmoid(logits),
    tf.tanh(logits),
    tf.nn.tanh(logits),
    tf.nn.softmax(logits),
    tf.nn.log_softmax(logits),
    tf.nn.l2_loss(logits),
    tf.nn.softmax_cross_entropy_with_logits(labels=onehot, logits=logits),
    tf.nn.softmax_cross_entropy_with_logits_v2(labels=onehot, logits=logits),
    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=sparse, logits=logits),
    tf.nn.sigmoid_cross_entropy_with_logits(labels=binary, logits=logits),
]
grads = [tf.gradients(tf.reduce_sum(v * v), logits)[0] for v in values]
print(values[7].shape, values[9].dtype, values[10].shape)
with tf.Session() as sess:
    for value, grad in zip(sess.run(values), sess.run(grads), strict=True):
        print(value)
        print(grad)
