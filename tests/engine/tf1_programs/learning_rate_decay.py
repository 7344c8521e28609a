"""A global step, train.exponential_decay (smooth and staircase), minimize(global_step=...).

The schedule is fetched in its own run: fetched together with the training op, TF1 may read
the step before or after the increment (nothing orders them)."""

# rtol: 1e-5
import gaussfit.engine as tf

global_step = tf.Variable(0, trainable=False, name="global_step")
rate = tf.train.exponential_decay(0.1, global_step, 10, 0.5, staircase=True)
smooth = tf.train.exponential_decay(0.1, global_step, 10, 0.5)
w = tf.Variable(5.0, name="w")
loss = tf.square(w)
train = tf.train.GradientDescentOptimizer(rate).minimize(loss, global_step=global_step)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(25):
        step, lr, lr_smooth = sess.run([global_step, rate, smooth])
        if step % 5 == 0:
            print(step, lr, lr_smooth)
        sess.run(train)
    print(sess.run([global_step, w]))
